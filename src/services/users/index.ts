export {
  addUser,
  listUsers,
  login,
  logout,
  principalFromSession,
  principalFromToken,
  forgetTokenPrincipals,
  revokeApiToken,
  createApiToken,
  LOCKOUT,
  type NewUser,
  type UserView,
  type LoginResult,
} from './users.js';
export { MIN_PASSWORD_LENGTH } from './passwords.js';
