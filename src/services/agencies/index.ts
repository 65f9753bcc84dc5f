export { addAgency, listAgencies, placeAccounts, recallAccount, type AgencyView } from './agencies.js';
