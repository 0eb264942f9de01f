import publicController from './public';
import pages from './pages';
import admin from './admin';
import management from './management';
import usersPermissions from './users-permissions';
import me from './me';

export default { public: publicController, pages, admin, management, me, 'users-permissions': usersPermissions };
