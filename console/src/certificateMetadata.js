import { SubjectAlternativeNameExtension, X509Certificate } from '@peculiar/x509'
import { reshapedAnswers } from './answerReshaping'

// In Konnect mode Kong's certificate and CA certificate lists take their Subject, Issuer, Expiry and
// SAN columns from a `metadata` object Konnect adds to each certificate. Konnect's API reference
// does not have it (its Certificate and CACertificate schemas allow no other property), so
// Gatehouse's API does not serve it: the console computes it from each listed PEM, in the browser,
// with the X.509 parser Kong's own components use when they read a PEM themselves.
const listPath = /\/core-entities\/(certificates|ca_certificates)$/

/** What the lists read: subject, issuer, expiry (Unix seconds) and the DNS names; null for a vault reference. */
export function certificateMetadata(pem) {
  let certificate
  try {
    certificate = new X509Certificate(pem)
  } catch {
    return null
  }
  const san = certificate.getExtension(SubjectAlternativeNameExtension)
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    expiry: Math.floor(certificate.notAfter.getTime() / 1000),
    dns_names: san ? san.names.items.filter(name => name.type === 'dns').map(name => name.value) : [],
  }
}

export const certificateListRequests = reshapedAnswers((body, path) => {
  if (!listPath.test(path) || !Array.isArray(body.data)) return body
  return {
    ...body,
    data: body.data.map(entity => {
      const metadata = typeof entity.cert === 'string' ? certificateMetadata(entity.cert) : null
      return metadata ? { ...entity, metadata } : entity
    }),
  }
})
