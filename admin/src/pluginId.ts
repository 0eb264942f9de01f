export const PLUGIN_ID = 'password-reset';
