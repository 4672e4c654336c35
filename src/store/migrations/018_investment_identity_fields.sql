-- Every field of the reference's Investment, InvestmentTransaction and IdentityResponse types.
alter table investments
  add column number text,
  add column issuer_cnpj text,
  add column amount_original numeric,
  add column amount_profit numeric,
  add column amount_withdrawal numeric,
  add column taxes numeric,
  add column taxes2 numeric,
  add column issue_date timestamptz,
  add column purchase_date timestamptz,
  add column fixed_annual_rate numeric,
  add column last_month_rate numeric,
  add column annual_rate numeric,
  add column last_twelve_months_rate numeric,
  add column owner text,
  add column institution jsonb,
  add column metadata jsonb;

alter table investment_transactions
  alter column type drop not null,
  add column brokerage_number text,
  add column expenses jsonb,
  add column agreed_rate numeric;

alter table identities
  add column investor_profile text,
  add column establishment_name text,
  add column establishment_code text,
  add column financial_relationships jsonb,
  add column qualifications jsonb,
  add column social_name text,
  add column sex text,
  add column marital_status jsonb,
  add column nationality jsonb,
  add column other_documents jsonb,
  add column passport jsonb,
  add column incorporation_date timestamptz,
  add column parties jsonb,
  add column business_other_documents jsonb,
  add column companies_cnpj jsonb;
