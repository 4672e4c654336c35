/** Credit offers the institution made to the holder (OPPORTUNITIES). */
export interface CollectedOpportunity {
  providerId: string
  name: string
  description?: string | null
  type: 'CREDIT_CARD' | 'PERSONAL_LOAN' | 'BUSINESS_LOAN' | 'MORTGAGE' | 'VEHICLE_LOAN' | 'OVERDRAFT' | 'OTHER'
  interestRate?: number | null
  rateType?: 'MONTHLY' | 'YEARLY' | null
  totalLimit?: number | null
  availableLimit?: number | null
  date: string
}
