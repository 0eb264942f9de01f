// The config file's email options get the same check as a save in the admin: Strapi refuses to start with an
// account field a template may not use, or a template that a save would refuse. Its own file: a Strapi that
// fails in bootstrap cannot share a process with a running one.
import { startPlayground } from '../helpers/strapi';

jest.setTimeout(120000);

it('refuses to start with an account field that is private, a password or unknown, or a template that would be refused', async () => {
  await expect(
    startPlayground({
      config: {
        templateFields: ['password', 'resetPasswordToken', 'nickname', 'email'],
        templates: { reset: { html: '<p>{{{username}}}</p>' } },
      },
    }),
  ).rejects.toThrow(
    /templateFields: password is private[\s\S]*resetPasswordToken is private[\s\S]*no attribute nickname[\s\S]*email is already a template variable[\s\S]*templates\.reset\.html inserts a value unescaped/,
  );
});

it('starts with a field the user model has, and a template that passes', async () => {
  const playground = await startPlayground({
    config: {
      templateFields: ['firstName'],
      templates: { reset: { subject: 'Hi {{firstName}}', html: '<p><a href="{{link}}">Open</a></p>' } },
    },
  });
  try {
    const { token } = await playground.admins.loginSuperAdmin();
    const entry = await playground.admins.pluginRoutes(token).get('/templates/en/reset');
    expect(entry.body).toMatchObject({
      customized: false,
      defaults: { subject: 'Hi {{firstName}}', html: '<p><a href="{{link}}">Open</a></p>' },
    });
    expect(entry.body.defaults.text).toContain('{{link}}');
  } finally {
    await playground.close();
  }
});
