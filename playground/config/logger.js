// STRAPI_LOG_LEVEL quiets the playground in tests ('error'); the demo keeps Strapi's default ('http').
module.exports = { level: process.env.STRAPI_LOG_LEVEL || 'http' };
