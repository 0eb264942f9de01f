import publicController from './public';
import pages from './pages';
import admin from './admin';
import management from './management';
import usersPermissions from './users-permissions';

export default { public: publicController, pages, admin, management, 'users-permissions': usersPermissions };
