// Management API (content API, API tokens only). Arrives with the administrator-actions issue; 501 until then.
import { errors } from '@strapi/utils';

const notYet = () => {
  throw new errors.NotImplementedError('The management API is not available in this version of the plugin yet.');
};

export default () => ({
  sendCode: notYet,
  setPassword: notYet,
});
