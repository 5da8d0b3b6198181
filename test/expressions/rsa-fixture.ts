/**
 * A fixed 1024-bit RSA key and values produced from it by the OpenSSL 3 command line (an oracle
 * independent of the runtime under test; PKCS#1 v1.5 signatures are deterministic, so .NET
 * produces the same bytes):
 *   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out key.pem
 *   openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER | base64 → pkcs8
 *   openssl pkey -in key.pem -outform DER | base64            → rsaPrivateKey (PKCS#1)
 *   openssl pkey -in key.pem -pubout -outform DER | base64    → spki
 *   openssl dgst -sha256 -sign key.pem msg.txt | base64       → sigSha256Pkcs1 (also sha512)
 *   openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sign …  → sigSha256Pss
 *   openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep|pkcs1 [-pkeyopt rsa_oaep_md:sha256] → ciphertexts
 * where msg.txt holds `message`.
 */
export const rsaFixture = {
  message: 'hello gatehouse',
  pkcs8: 'MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAMT3EF3hJniypy2LgKAZQPH2IqMU5ZKmxnz+P+L6VdMYy+QV2Mw41FCmPIbIdIpG2xe9uvXlabWFfGi+EwED+FgIP4v83cIKwcOA9loZIm91AXoTV3/46/J/Cg70JdjHjaV4wCF5J8ACAfMR/dCICnGbVmy2KiQBI83K32QA7LKPAgMBAAECgYBvi6fmMssx0aNh5L48bPDd1tH4362/5tlEEk0mAzW1rjZR/plf1tNOtUZT4pQ1dzk+8cE+3uSF24oAW5yxl4j9e5NgNSZizGQkGkX3eQNn4Izh3gNZLuDkEcZikqq3D0gMrPMXLvC6R7ce9AqQXhV6rmvsEEERE7BH6NBvid6FIQJBAOTn3B43gdSud42bP+Hid3RmZ0jamyXRRYXjc7pQDnkI8n+5pjyM8bsJFSzoTzPR3YdISufegirPTeyd83ydoFECQQDcR1y1xxqYCmxRUBiE6NHhWtyjurw9AC7MyHeWFkGJXe29QqBi6DNs/QAq1axPQ0Vpyyr/vFWw03UQ6k0cJkzfAkEAzFvHY16w1TyxVUXuIW76sHuf6CXqbzfG9sJallJUqW/4d1k59ULrqMxyEDaSRzQsr1M2NI2s7iVHb2CQeYeMEQJBANrSyXaK5BBFynS8bJ8b6eNEsAq2Zmjy1Yr5WlLuqQwdEx8AIPQgV3Xdn1zuBs52tW3zNjP2k+mlJpY3K4LbSWECQQCwFGwJt0xrI89be6zj8QCnrceqploDHUM8CUYn82wLZwOJQ1XoB9+QxvhWha6txz/hpBO7fWoL3225RAj32uca',
  rsaPrivateKey: 'MIICXgIBAAKBgQDE9xBd4SZ4sqcti4CgGUDx9iKjFOWSpsZ8/j/i+lXTGMvkFdjMONRQpjyGyHSKRtsXvbr15Wm1hXxovhMBA/hYCD+L/N3CCsHDgPZaGSJvdQF6E1d/+OvyfwoO9CXYx42leMAheSfAAgHzEf3QiApxm1ZstiokASPNyt9kAOyyjwIDAQABAoGAb4un5jLLMdGjYeS+PGzw3dbR+N+tv+bZRBJNJgM1ta42Uf6ZX9bTTrVGU+KUNXc5PvHBPt7khduKAFucsZeI/XuTYDUmYsxkJBpF93kDZ+CM4d4DWS7g5BHGYpKqtw9IDKzzFy7wuke3HvQKkF4Veq5r7BBBEROwR+jQb4nehSECQQDk59weN4HUrneNmz/h4nd0ZmdI2psl0UWF43O6UA55CPJ/uaY8jPG7CRUs6E8z0d2HSErn3oIqz03snfN8naBRAkEA3EdctccamApsUVAYhOjR4Vrco7q8PQAuzMh3lhZBiV3tvUKgYugzbP0AKtWsT0NFacsq/7xVsNN1EOpNHCZM3wJBAMxbx2NesNU8sVVF7iFu+rB7n+gl6m83xvbCWpZSVKlv+HdZOfVC66jMchA2kkc0LK9TNjSNrO4lR29gkHmHjBECQQDa0sl2iuQQRcp0vGyfG+njRLAKtmZo8tWK+VpS7qkMHRMfACD0IFd13Z9c7gbOdrVt8zYz9pPppSaWNyuC20lhAkEAsBRsCbdMayPPW3us4/EAp63HqqZaAx1DPAlGJ/NsC2cDiUNV6AffkMb4VoWurcc/4aQTu31qC99tuUQI99rnGg==',
  spki: 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDE9xBd4SZ4sqcti4CgGUDx9iKjFOWSpsZ8/j/i+lXTGMvkFdjMONRQpjyGyHSKRtsXvbr15Wm1hXxovhMBA/hYCD+L/N3CCsHDgPZaGSJvdQF6E1d/+OvyfwoO9CXYx42leMAheSfAAgHzEf3QiApxm1ZstiokASPNyt9kAOyyjwIDAQAB',
  rsaPublicKey: 'MIGJAoGBAMT3EF3hJniypy2LgKAZQPH2IqMU5ZKmxnz+P+L6VdMYy+QV2Mw41FCmPIbIdIpG2xe9uvXlabWFfGi+EwED+FgIP4v83cIKwcOA9loZIm91AXoTV3/46/J/Cg70JdjHjaV4wCF5J8ACAfMR/dCICnGbVmy2KiQBI83K32QA7LKPAgMBAAE=',
  publicPem: '-----BEGIN PUBLIC KEY-----|MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDE9xBd4SZ4sqcti4CgGUDx9iKj|FOWSpsZ8/j/i+lXTGMvkFdjMONRQpjyGyHSKRtsXvbr15Wm1hXxovhMBA/hYCD+L|/N3CCsHDgPZaGSJvdQF6E1d/+OvyfwoO9CXYx42leMAheSfAAgHzEf3QiApxm1Zs|tiokASPNyt9kAOyyjwIDAQAB|-----END PUBLIC KEY-----|'.replace(/\|/g, '\\n'),
  modulus: 'xPcQXeEmeLKnLYuAoBlA8fYioxTlkqbGfP4/4vpV0xjL5BXYzDjUUKY8hsh0ikbbF7269eVptYV8aL4TAQP4WAg/i/zdwgrBw4D2Whkib3UBehNXf/jr8n8KDvQl2MeNpXjAIXknwAIB8xH90IgKcZtWbLYqJAEjzcrfZADsso8=',
  sha256: 'A5ul7ggw/GJzpdcUl/6DcrNgnVuVVkw+rDVgKgsHEpU=',
  sigSha256Pkcs1: 'S+AT/9CtCtFxPyQlYHtgHq6zlKmgfio6dCrYsCDIL/ltYd5hce0q56HF6OJkM0cX0X2DVCCrMl/PpcV0UuDi+0sAJDNcnESVku14CxJ+0CvUykccxQjUyzI1xaGlPPrMLoyJy0ejavXHpB8sQfL+cWQITZXr1NXnD5JTaj1O+RE=',
  sigSha512Pkcs1: 'Pgj6yIu9RDDQBsIJWlUAq0VD8L/0DaBE0Fq8lmpYhspIceoEyWLZ2Wbq0NBqTTJkdjJ5GuMEFfPtSBc7+QPHTyYXxnsWO+WOMw5ls2oZlLOCOmlfy019NPXlq4wZ8jQMlhntQIoFhkmbvAbfq6Wz6YRPPD9Nrx2NO085hjN8xqA=',
  sigSha256Pss: 'byxcLbnOyV8DfWOLDJYvr8tRJcnsTRBGdyX6YPR7k30+bTZnMcEJIJnifsLBiEi1cpVPXlmoAiDoGHC/+sqGYjhSyAaOgysHAYlfNATIjZHKjCwyjKKFSsOVEWNV70KaCG/9Kfrr7G2Zp+ZDmcU8DiEKmpucKyApFVF9vSbexAU=',
  oaepSha1: 'nxsX8acLwOZB26heKEVJ5L4dwb1KA0O5mKEOlsyKDftRAeUJfxERX8IAhj3kRCnwgjpbJTT6SM4zAdwjIWHTiBQupw/vUk8qIyDLmzXE2j+t84CeF+Z8Z55cFEW3sjGk4Hf/6t9qfhuS3a9I1PXu3YlRKF31KIlf0mWLModkyb4=',
  oaepSha256: 'f+inp494aDg8HRmB1TofhVtorSLFqeP+bHUTLUWG4ANpscIT5Xuk3oI/CtBm8pQz9nZ/9bPMfY5Hqc8BUnADcpmWQHwzq650wjrenwtW0EFZW9qwqi65/bPNPzytRFp/J9/KIhwSMGz3lvbg2el3nU6CID89+chYZ4EdCqfwn7E=',
  pkcs1: 'jc9qRQxpLwrfSQVAX95UWtlmfyWJFGC1KE/6r6iwzxow9zTwfl2HQhAdgX89I/xRs1G0jRKjEuwPsLm9V9TE94s9fqB7hrz9hD8IQtgo8i/r3Dtua/dnsk1jCdwjsLFMaLXBCxY7CHjqFQHT80o7GQ/2s4H0LQnRbdFShGafVtQ=',
};
