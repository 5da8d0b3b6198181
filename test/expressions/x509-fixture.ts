/**
 * Test certificates made once with the OpenSSL 3.0 command line (an oracle independent of the
 * runtime under test), DER in base64. The leaf's key is rsa-fixture.ts's key (leaf.key below):
 *   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out root.key
 *   openssl req -new -key root.key -subj "/C=US/O=Gatehouse/CN=Gatehouse Test Root" -out root.csr
 *   openssl ca -selfsign -keyfile root.key -extensions root_ext (CA:true) -startdate 20230101000000Z
 *     -enddate 20430101000000Z -in root.csr -out root.pem             (serial file: 8A5B3C2D1E0F)
 *   openssl req -new -key leaf.key -subj "/C=US/ST=Washington/L=Seattle/O=Gatehouse/OU=Gateway/CN=api.gatehouse.test"
 *   openssl ca -cert root.pem -keyfile root.key -extensions leaf_ext (CA:false,
 *     subjectAltName=DNS:api.gatehouse.test,DNS:www.gatehouse.test) -startdate 20230601000000Z
 *     -enddate 20330601000000Z                                         (serial file: 0123456789ABCDEF)
 *   openssl req -new -key leaf.key -subj "/O=Gatehouse/CN=expired.gatehouse.test"; openssl ca … 
 *     -startdate 20200101000000Z -enddate 20210101000000Z             (serial file: 02)
 *   openssl x509 -in X.pem -outform DER | base64 -w0                   → the fields below
 * Expected values: `openssl x509 -noout -fingerprint -sha1 -serial -dates -nameopt RFC2253
 * -subject -issuer` (leaf thumbprint 62:C7:A2:54:…, root serial 8A5B3C2D1E0F whose DER INTEGER
 * carries a leading 00 byte, which .NET's SerialNumber keeps), written in .NET's forms below.
 */
export const x509Fixture = {
  root: 'MIICPDCCAaWgAwIBAgIHAIpbPC0eDzANBgkqhkiG9w0BAQsFADA/MQswCQYDVQQGEwJVUzESMBAGA1UECgwJR2F0ZWhvdXNlMRwwGgYDVQQDDBNHYXRlaG91c2UgVGVzdCBSb290MB4XDTIzMDEwMTAwMDAwMFoXDTQzMDEwMTAwMDAwMFowPzELMAkGA1UEBhMCVVMxEjAQBgNVBAoMCUdhdGVob3VzZTEcMBoGA1UEAwwTR2F0ZWhvdXNlIFRlc3QgUm9vdDCBnzANBgkqhkiG9w0BAQEFAAOBjQAwgYkCgYEA6xKA4x5lC594mbXddsJQW5u3wgCJLp62ejbuKiySli7sKL36VQKreRovAYPtj9WunjQVIfoHbXbVQr3SPBaYYMzBtqgwmwS982OrkDI6HKdb/6Wmk+/YkJORfFTpald3Av3UOVM4n6we2YkYdVxrODuR5ZHUbYsvIFvxqI+g7T8CAwEAAaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFJ0F1RX+3fHP/mN3D+ZDL0S/sY91MA0GCSqGSIb3DQEBCwUAA4GBAHUJQCdyHdsvKlBER3V3IaYXnlwFfdp0okXkp1Ii1hmr7fSuqFX14coafOA5akIswcgWSIC3QAIYQhM7j2oU5CbKO+n8tKt55Yqs9FAVCR5/uCKgzm1SkUqnyCqT5DMZH7FWNkDWros2vVe3V+FQQccRTbrdNaH4Ryr2+SugX2PS',
  leaf: 'MIICtDCCAh2gAwIBAgIIASNFZ4mrze8wDQYJKoZIhvcNAQELBQAwPzELMAkGA1UEBhMCVVMxEjAQBgNVBAoMCUdhdGVob3VzZTEcMBoGA1UEAwwTR2F0ZWhvdXNlIFRlc3QgUm9vdDAeFw0yMzA2MDEwMDAwMDBaFw0zMzA2MDEwMDAwMDBaMHcxCzAJBgNVBAYTAlVTMRMwEQYDVQQIDApXYXNoaW5ndG9uMRAwDgYDVQQHDAdTZWF0dGxlMRIwEAYDVQQKDAlHYXRlaG91c2UxEDAOBgNVBAsMB0dhdGV3YXkxGzAZBgNVBAMMEmFwaS5nYXRlaG91c2UudGVzdDCBnzANBgkqhkiG9w0BAQEFAAOBjQAwgYkCgYEAxPcQXeEmeLKnLYuAoBlA8fYioxTlkqbGfP4/4vpV0xjL5BXYzDjUUKY8hsh0ikbbF7269eVptYV8aL4TAQP4WAg/i/zdwgrBw4D2Whkib3UBehNXf/jr8n8KDvQl2MeNpXjAIXknwAIB8xH90IgKcZtWbLYqJAEjzcrfZADsso8CAwEAAaOBgDB+MAkGA1UdEwQCMAAwMQYDVR0RBCowKIISYXBpLmdhdGVob3VzZS50ZXN0ghJ3d3cuZ2F0ZWhvdXNlLnRlc3QwHwYDVR0jBBgwFoAUnQXVFf7d8c/+Y3cP5kMvRL+xj3UwHQYDVR0OBBYEFMCgNNcw6qobkXsCQ+jJhAseN4fPMA0GCSqGSIb3DQEBCwUAA4GBAHc+T4XmOkuZgdv+zP0jeBy0cs/Dy48+CRdEUTkz4BeC5Vat/U+35DMjHFDSyTIkHWrvVAtb5Z9nR9/yHaeASCRDzU5+N+OuM2WgZhJQ3Ey4Jqgc0Zv0rhbUtAME1j4khibs/gIKwvB9ONOo+AftUm92ax0PKa3FX2fMz1ymOSoH',
  expired: 'MIICNzCCAaCgAwIBAgIBAjANBgkqhkiG9w0BAQsFADA/MQswCQYDVQQGEwJVUzESMBAGA1UECgwJR2F0ZWhvdXNlMRwwGgYDVQQDDBNHYXRlaG91c2UgVGVzdCBSb290MB4XDTIwMDEwMTAwMDAwMFoXDTIxMDEwMTAwMDAwMFowNTESMBAGA1UECgwJR2F0ZWhvdXNlMR8wHQYDVQQDDBZleHBpcmVkLmdhdGVob3VzZS50ZXN0MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDE9xBd4SZ4sqcti4CgGUDx9iKjFOWSpsZ8/j/i+lXTGMvkFdjMONRQpjyGyHSKRtsXvbr15Wm1hXxovhMBA/hYCD+L/N3CCsHDgPZaGSJvdQF6E1d/+OvyfwoO9CXYx42leMAheSfAAgHzEf3QiApxm1ZstiokASPNyt9kAOyyjwIDAQABo00wSzAJBgNVHRMEAjAAMB0GA1UdDgQWBBTAoDTXMOqqG5F7AkPoyYQLHjeHzzAfBgNVHSMEGDAWgBSdBdUV/t3xz/5jdw/mQy9Ev7GPdTANBgkqhkiG9w0BAQsFAAOBgQCuhzZ2bWLsaVo/jA/S3T7DoR7whnqrgI18gECGTzDaMXvcaja1BMbpyu37jkj9WLhb6Qfusb2BKqDTBCNP9tAC6ZOKDnQEquvlY1eWaxiZmRlISJ+6uESJZq9OG/aUtdtbPQGJUrmOvN2WjhsYFXhPBP2JAx06X42FImLxNYGgGQ==',
  leafThumbprint: '62C7A254AC0720D5993F9749E0E5BFE806A9A3DF',
  rootThumbprint: '4CE4E8F4A2FCAF679282D05473775846678AE82F',
  leafSubject: 'CN=api.gatehouse.test, OU=Gateway, O=Gatehouse, L=Seattle, S=Washington, C=US',
  rootSubject: 'CN=Gatehouse Test Root, O=Gatehouse, C=US',
};

/** PEM text of a fixture certificate, with `\n` escapes so it can sit inside a C# string literal. */
export function pemLiteral(b64: string): string {
  return '-----BEGIN CERTIFICATE-----\\n' + (b64.match(/.{1,64}/g) ?? []).join('\\n') + '\\n-----END CERTIFICATE-----\\n';
}
