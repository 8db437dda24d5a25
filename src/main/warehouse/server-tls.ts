// TLS for the embedded warehouse server: a self-signed certificate made on the first run, ssl = on, optionally TLS only.
import { X509Certificate, randomBytes, webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** In the data directory, PostgreSQL's default names; the certificate is public (desks pin it), the key never leaves. */
export const SERVER_CERT_FILE = 'server.crt';
export const SERVER_KEY_FILE = 'server.key';
const VALID_YEARS = 10;
const BEGIN = '# ReturnDesk TLS: begin (rewritten by npm run warehouse on every start)';
const END = '# ReturnDesk TLS: end';

/** 'on': TLS offered, plain connections still admitted; 'only': plain TCP connections refused (hostnossl … reject). */
export type ServerTlsMode = 'off' | 'on' | 'only';

export interface ServerCertificate {
  certFile: string;
  pem: string;
  /** SHA-256 of the certificate (colon-separated hex), to compare on a desk before pinning the file. */
  fingerprint256: string;
  created: boolean;
}

/** Makes the certificate and key on the first run (kept afterwards: desks pinned it); returns the certificate. */
export async function ensureServerCertificate(dataDir: string): Promise<ServerCertificate> {
  const certFile = path.join(dataDir, SERVER_CERT_FILE);
  const keyFile = path.join(dataDir, SERVER_KEY_FILE);
  let created = false;
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const { certificatePem, privateKeyPem } = await makeSelfSignedCertificate(serverNames());
    // PostgreSQL refuses a key readable by others; when we are root the server runs as the data directory's owner.
    await writeFile(keyFile, privateKeyPem, { mode: 0o600 });
    await writeFile(certFile, certificatePem, { mode: 0o644 });
    const owner = await stat(path.join(dataDir, 'PG_VERSION'));
    if (process.getuid?.() === 0) {
      await chown(keyFile, owner.uid, owner.gid);
      await chown(certFile, owner.uid, owner.gid);
    }
    created = true;
  }
  const pem = await readFile(certFile, 'utf8');
  return { certFile, pem, fingerprint256: new X509Certificate(pem).fingerprint256, created };
}

/** Writes ssl = on into postgresql.conf and, for 'only', a first pg_hba.conf rule refusing plain TCP connections. */
export async function configureServerTls(dataDir: string, mode: ServerTlsMode): Promise<void> {
  const settings = [
    `ssl = ${mode === 'off' ? 'off' : 'on'}`,
    `ssl_cert_file = '${SERVER_CERT_FILE}'`,
    `ssl_key_file = '${SERVER_KEY_FILE}'`,
    "ssl_min_protocol_version = 'TLSv1.2'",
  ];
  await rewriteBlock(path.join(dataDir, 'postgresql.conf'), mode === 'off' ? [] : settings, 'end');
  // pg_hba.conf is read top down, first match wins: the refusal must come before initdb's "host" lines.
  const refusePlain = ['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject'];
  await rewriteBlock(path.join(dataDir, 'pg_hba.conf'), mode === 'only' ? refusePlain : [], 'start');
}

async function rewriteBlock(file: string, lines: string[], where: 'start' | 'end'): Promise<void> {
  const current = await readFile(file, 'utf8');
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const rest = start >= 0 && end > start ? current.slice(0, start) + current.slice(end + END.length).replace(/^\n/, '') : current;
  const block = lines.length === 0 ? '' : `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
  const next = where === 'start' ? block + rest : `${rest.replace(/\n*$/, '\n')}${block}`;
  if (next !== current) await writeFile(file, next);
}

/** Names and addresses a desk may use to reach this PC (verify-full checks them; verify-ca does not need them). */
function serverNames(): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((entry): entry is os.NetworkInterfaceInfo => entry !== undefined && !entry.internal)
    .map((entry) => entry.address.replace(/%.*$/, ''));
  return [...new Set(['localhost', os.hostname(), '127.0.0.1', '::1', ...addresses])];
}

function generalName(name: string): pkijs.GeneralName {
  if (!net.isIP(name)) return new pkijs.GeneralName({ type: 2, value: name });
  const bytes = net.isIPv4(name) ? name.split('.').map(Number) : ipv6Bytes(name);
  return new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: new Uint8Array(bytes).buffer }) });
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = address.includes('::') ? [...groups(head), ...Array<string>(missing).fill('0'), ...groups(tail)] : groups(address);
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** An ECDSA P-256 certificate signed by its own key (a CA of one: desks trust exactly this certificate). */
async function makeSelfSignedCertificate(names: string[]): Promise<{ certificatePem: string; privateKeyPem: string }> {
  const subtle = webcrypto.subtle;
  const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // a positive INTEGER
  certificate.serialNumber = new asn1js.Integer({ valueHex: new Uint8Array(serial).buffer });
  const commonName = `ReturnDesk warehouse ${os.hostname()}`;
  for (const name of [certificate.issuer, certificate.subject]) {
    name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) }));
  }
  const now = Date.now();
  certificate.notBefore.value = new Date(now - 24 * 3_600_000); // a desk whose clock is a little behind
  certificate.notAfter.value = new Date(now + VALID_YEARS * 365 * 24 * 3_600_000);
  const basicConstraints = new pkijs.BasicConstraints({ cA: true });
  const altNames = new pkijs.GeneralNames({ names: names.map(generalName) });
  certificate.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: basicConstraints.toSchema().toBER(false),
      parsedValue: basicConstraints,
    }),
    new pkijs.Extension({ extnID: '2.5.29.17', critical: false, extnValue: altNames.toSchema().toBER(false), parsedValue: altNames }),
  ];
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as PkiCrypto });
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await certificate.sign(keys.privateKey, 'SHA-256', engine);
  const privateKey = await subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificatePem: toPem('CERTIFICATE', certificate.toSchema(true).toBER(false)),
    privateKeyPem: toPem('PRIVATE KEY', privateKey),
  };
}

/** Node's webcrypto is the Web Crypto API pkijs expects; its types come from @types/node, not the DOM library. */
type PkiCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];

function toPem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
