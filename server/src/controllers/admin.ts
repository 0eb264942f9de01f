// Admin-panel routes (admin JWT + RBAC). The administrator actions arrive with the administrator-actions issue;
// until then each route answers 501 so the contract in routes/admin.ts is already mounted and guarded.
import { errors } from '@strapi/utils';

const notYet = () => {
  throw new errors.NotImplementedError('This administrator action is not available in this version of the plugin yet.');
};

export default () => ({
  sendCodes: notYet,
  setPassword: notYet,
  status: notYet,
  audit: notYet,
  verifyPin: notYet,
});
