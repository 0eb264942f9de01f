// With users-permissions' refresh-token sessions, a password reset ends every session the account had.
import { usePlayground } from '../helpers/strapi';
import { strongPassword } from '../helpers/accounts';
import { tokenFromLink } from '../helpers/smtp';

const playground = usePlayground({ env: { UP_JWT_MANAGEMENT: 'refresh' } });

describe('in refresh-token mode', () => {
  it('a reset revokes the refresh tokens and refuses the access tokens issued before it', async () => {
    const { http, accounts, admins, smtp, settle } = playground();
    const account = await accounts.create('activated');
    const login = await admins.loginAccount(account.email, account.password);
    expect(login.body.refreshToken).toBeTruthy();
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${login.body.jwt}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    await http().post('/api/password-reset/forgot-password').send({ email: account.email });
    await settle();
    const [message] = await smtp.waitFor(account.email);
    const password = strongPassword();
    const reset = await http()
      .post('/api/password-reset/reset')
      .send({ token: tokenFromLink(message.links[0]), password, passwordConfirmation: password });
    expect(reset.status).toBe(200);

    expect((await http().post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken })).status).toBe(401);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${login.body.jwt}`)).status).toBe(401);
    const again = await admins.loginAccount(account.email, password);
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${again.body.jwt}`)).status).toBe(200);
  });

  it('users-permissions’ own reset-password answers with a new session, as it does in this mode', async () => {
    const { http, accounts, smtp, settle } = playground();
    const account = await accounts.create('activated');
    await http().post('/api/auth/forgot-password').send({ email: account.email });
    await settle();
    const [message] = await smtp.waitFor(account.email);
    const password = strongPassword();
    const res = await http()
      .post('/api/auth/reset-password')
      .send({ code: tokenFromLink(message.links[0]), password, passwordConfirmation: password });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toBeTruthy();
    expect((await http().get('/api/users/me').set('Authorization', `Bearer ${res.body.jwt}`)).status).toBe(200);
  });
});
