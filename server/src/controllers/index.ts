// The plugin's controllers, by route group (routes/).
import publicController from './public';
import pages from './pages';
import admin from './admin';
import management from './management';
import me from './me';
import settings from './settings';
import templates from './templates';

export default { public: publicController, pages, admin, management, me, settings, templates };
