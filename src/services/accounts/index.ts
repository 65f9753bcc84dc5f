export {
  listAccounts,
  getAccount,
  type AccountDetail,
  type AccountListItem,
  type AccountPage,
  type AccountFilter,
} from './accounts.js';
