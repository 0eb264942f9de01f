// The pages' stylesheet and script, served from /password-reset/assets/ (same origin, so CSP allows them).
export const pagesCss = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f6f6f9;color:#32324d;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
.card{background:#fff;width:100%;max-width:440px;margin:24px;padding:32px;border-radius:4px;box-shadow:0 1px 4px rgba(33,33,52,.1)}
.site{margin:0 0 4px;color:#666687;font-size:14px;font-weight:600;text-transform:uppercase;letter-spacing:.05em}
h1{margin:0 0 16px;font-size:24px}
label{display:block;margin:16px 0 4px;font-weight:600;font-size:14px}
input{width:100%;padding:10px 12px;border:1px solid #dcdce4;border-radius:4px;font:inherit}
input:focus{outline:2px solid #4945ff;outline-offset:1px}
input[aria-invalid=true]{border-color:#d02b20}
button{margin-top:24px;width:100%;padding:10px 16px;border:0;border-radius:4px;background:#4945ff;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button:disabled{opacity:.6;cursor:wait}
.hint{margin:4px 0 0;color:#666687;font-size:13px}
.status{margin:16px 0 0}
.error{color:#b72b1a}
.success{color:#2f6846}
a{color:#4945ff}
`;

export const pagesJs = `
(function () {
  'use strict';
  var api = '/api/password-reset';
  var status = document.getElementById('form-status');
  // The page's words in its language, written by the server (server/src/locales/).
  var text = JSON.parse(document.body.getAttribute('data-text') || '{}');
  function say(text, isError) {
    status.textContent = text;
    status.className = 'status' + (isError ? ' error' : '');
    status.setAttribute('role', isError ? 'alert' : 'status');
  }
  function post(path, body) {
    return fetch(api + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (json) { return { status: res.status, json: json }; });
      });
  }
  // A password the policy refused: each rule it broke, in the page's language (rules: PolicyRule).
  var RULE_TEXTS = { 'too-short': text.passwordTooShort, 'too-long': text.passwordTooLong, common: text.passwordCommon, 'personal-info': text.passwordPersonal };
  function errorText(result) {
    if (result.status === 429) return text.tooManyAttempts;
    var broken = ((result.json && result.json.error && result.json.error.details && result.json.error.details.errors) || []).filter(function (item) {
      return item && RULE_TEXTS[item.rule];
    });
    if (broken.length) return broken.map(function (item) { return RULE_TEXTS[item.rule].replace('{{limit}}', item.limit); }).join(' ');
    return (result.json && result.json.error && result.json.error.message) || text.somethingWrong;
  }

  var page = document.body.getAttribute('data-page');
  if (page === 'forgot') {
    var form = document.getElementById('forgot-form');
    var email = document.getElementById('email');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!email.value.trim() || !email.checkValidity()) {
        email.setAttribute('aria-invalid', 'true');
        say(text.invalidEmail, true);
        email.focus();
        return;
      }
      email.removeAttribute('aria-invalid');
      form.querySelector('button').disabled = true;
      post('/forgot-password', { email: email.value }).then(function (result) {
        form.querySelector('button').disabled = false;
        if (result.status === 200) say(text.linkOnItsWay);
        else say(errorText(result), true);
      });
    });
  }

  if (page === 'reset') {
    // The code leaves the address bar and the history entry as the page loads, so that it is not on screen, in
    // Back or in the history list (ARCHITECTURE.md, invariant 6). It is kept for a reload in sessionStorage: this
    // tab and this origin only, never sent to a server, gone with the tab, and removed here once the code is used
    // or found dead. localStorage would outlive the tab and reach every tab; a cookie would travel with requests.
    var STORED_CODE = 'password-reset.code';
    function storage(action) {
      try { return action(window.sessionStorage); } catch (error) { return null; }
    }
    var fromLink = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (fromLink !== null) {
      storage(function (store) { store.setItem(STORED_CODE, fromLink); });
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    var token = fromLink || storage(function (store) { return store.getItem(STORED_CODE); }) || '';
    function forgetCode() { storage(function (store) { store.removeItem(STORED_CODE); }); }
    var resetForm = document.getElementById('reset-form');
    var checking = document.getElementById('checking');
    var invalid = document.getElementById('link-invalid');
    function showInvalid() { forgetCode(); checking.hidden = true; resetForm.hidden = true; invalid.hidden = false; }
    if (!token) { showInvalid(); return; }
    post('/check', { token: token }).then(function (result) {
      // Only a code the server says is dead is forgotten; a refusal for now (429, 503) keeps it for a reload.
      if (result.status === 200 && !result.json.valid) return showInvalid();
      if (result.status !== 200) {
        checking.hidden = true;
        return say(errorText(result), true);
      }
      checking.hidden = true;
      resetForm.hidden = false;
      document.getElementById('password').focus();
    });
    resetForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var password = document.getElementById('password');
      var confirmation = document.getElementById('passwordConfirmation');
      if (password.value !== confirmation.value) {
        confirmation.setAttribute('aria-invalid', 'true');
        say(text.passwordsDiffer, true);
        confirmation.focus();
        return;
      }
      confirmation.removeAttribute('aria-invalid');
      resetForm.querySelector('button').disabled = true;
      post('/reset', { token: token, password: password.value, passwordConfirmation: confirmation.value }).then(function (result) {
        resetForm.querySelector('button').disabled = false;
        if (result.status === 200) {
          forgetCode();
          resetForm.hidden = true;
          say('');
          document.getElementById('done').hidden = false;
        } else if (result.json && result.json.error && /invalid or has expired/.test(result.json.error.message)) {
          showInvalid();
        } else {
          password.setAttribute('aria-invalid', 'true');
          say(errorText(result), true);
          password.focus();
        }
      });
    });
  }
})();
`;
