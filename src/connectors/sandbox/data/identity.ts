/** The IDENTITY product: the user's profile as the institution registers it. */
import type { CollectedIdentity } from '../../sdk/index.ts'
import { FIRST_NAMES } from './fixtures.ts'
import type { SandboxUser } from './sandbox-user.ts'

export function generateIdentity(user: SandboxUser): CollectedIdentity {
  const p = user.profile
  return {
    fullName: p.fullName,
    document: p.cpf,
    documentType: 'CPF',
    taxNumber: p.cpf,
    birthDate: user.iso(p.birthDay),
    jobTitle: p.job,
    companyName: p.employer.name,
    emails: [
      { value: p.email, type: 'Personal' },
      { value: p.workEmail, type: 'Work' },
    ],
    phoneNumbers: [{ value: p.phone, type: 'Personal' }],
    addresses: [
      {
        fullAddress: `${p.address.primaryAddress}, ${p.address.city} - ${p.address.state}, ${p.address.postalCode}, Brasil`,
        primaryAddress: p.address.primaryAddress,
        city: p.address.city,
        postalCode: p.address.postalCode,
        state: p.address.state,
        country: 'Brasil',
        type: 'Personal',
      },
    ],
    relations: [{ type: 'Mother', name: `${user.rng('identity').pick(FIRST_NAMES)} ${p.lastName}` }],
  }
}
