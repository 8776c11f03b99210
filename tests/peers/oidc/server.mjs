// A real OpenID Provider on loopback for tests/live: node server.mjs KEY_PEM CERT_PEM [ISSUER_SUFFIX]
// Listens on 127.0.0.1 (a free port), prints "listening <port>", and publishes the issuer
// https://127.0.0.1:<port><suffix>; a suffix such as "/" makes the published issuer differ on purpose.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [keyFile, certFile, suffix = ''] = process.argv.slice(2);
let handle = (req, res) => { res.statusCode = 503; res.end(); };
const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) },
  (req, res) => handle(req, res));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`https://127.0.0.1:${port}${suffix}`, {
    clients: [{ client_id: 'sso-bot-test', client_secret: 'test-only-not-a-secret', redirect_uris: ['https://app.invalid/cb'] }],
  });
  handle = provider.callback();
  console.log(`listening ${port}`);
});
