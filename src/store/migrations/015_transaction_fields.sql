-- Transactions: the reference's operation type, the bill a card transaction was charged on, and
-- the category a user chose.
alter table transactions
  add column operation_type text,
  add column operation_type_additional_info text,
  -- The bill named by creditCardMetadata.billId (the institution's bill id), resolved by the merge.
  -- A bill is never deleted while its account lives; if it were, the link would just be lost.
  add column bill_id uuid references credit_card_bills (id) on delete set null,
  -- The category a user chose (PATCH /transactions/{id}); a merge never writes these two, so a
  -- later sync cannot overwrite the choice. The automatic category stays in category/category_id.
  add column user_category_id text,
  add column user_category text;
-- GET /transactions?billId=.
create index transactions_bill on transactions (bill_id, date desc, seq desc) where bill_id is not null;
