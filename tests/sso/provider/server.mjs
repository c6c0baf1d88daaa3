// A real OpenID Connect provider for the SSO tests (tests/sso/provider.py starts and stops it).
//
// Settings come as one JSON document in PROVIDER_SETTINGS:
//   issuers        names of providers to run ("rich" puts email in the ID token itself;
//                  "forger=main" claims main's issuer name but signs with a key of its own), each on its own free port (they share one
//                  signing key, so a token from one verifies against another's keys: the
//                  issuer claim is then the only thing that tells them apart);
//   clockOffset    seconds added to this process's clock (a provider whose clock is behind
//                  issues ID tokens that have already expired by the relying party's clock);
//   idTokenTtl     seconds an ID token lasts (default 600);
//   redirectUris   the relying party's callback address(es);
//   client         { id, secret };
//   accounts       accountId -> claims (email, email_verified, name).
// When every provider listens, one JSON line { name: issuer URL } is written to stdout.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.PROVIDER_SETTINGS);
const offsetMs = (settings.clockOffset || 0) * 1000;
if (offsetMs) {
  const realNow = Date.now;
  Date.now = () => realNow() + offsetMs;
}

function newSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };
}
const sharedKey = newSigningKey();

async function findAccount(ctx, id) {
  const claims = settings.accounts[id];
  if (!claims) return undefined;
  return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
}

function configuration(name, signingKey) {
  return {
    // "rich" puts the profile and email claims in the ID token itself; the others follow the
    // default of answering them only at the userinfo endpoint.
    conformIdTokenClaims: name !== 'rich',
    clients: [{
      client_id: settings.client.id,
      client_secret: settings.client.secret,
      redirect_uris: settings.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [signingKey] },
    findAccount,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    // Every client must prove possession of its code with PKCE, and only S256 is offered.
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['provider-cookie-key-for-tests-only'] },
    ttl: { IdToken: settings.idTokenTtl || 600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  };
}

async function listen(spec, issuers) {
  const [name, impersonated] = spec.split('=');
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `http://127.0.0.1:${server.address().port}`;
  const issuer = impersonated ? issuers[impersonated] : address;
  const provider = new Provider(issuer, configuration(name, impersonated ? newSigningKey() : sharedKey));
  // The tests drive the provider over plain HTTP on the loopback address.
  provider.proxy = false;
  server.on('request', provider.callback());
  return [name, address];
}

const issuers = {};
for (const spec of settings.issuers) {
  const [name, address] = await listen(spec, issuers);
  issuers[name] = address;
}
process.stdout.write(`${JSON.stringify(issuers)}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
