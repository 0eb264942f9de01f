// The public pages, at /password-reset/forgot and /password-reset/reset (outside /api: they are pages, not API).
const page = (path: string, handler: string) => ({ method: 'GET', path, handler, config: { auth: false as const, policies: [] } });

export default {
  type: 'admin',
  routes: [
    page('/forgot', 'pages.forgot'),
    page('/reset', 'pages.reset'),
    page('/assets/pages.js', 'pages.script'),
    page('/assets/pages.css', 'pages.styles'),
  ],
};
