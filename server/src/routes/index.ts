// Every route of the plugin, in one place (the contract is in ARCHITECTURE.md).
import contentApi from './content-api';
import admin from './admin';
import pages from './pages';

export default { 'content-api': contentApi, admin, pages };
