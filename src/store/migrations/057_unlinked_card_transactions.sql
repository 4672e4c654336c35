-- Card transactions that name a bill the store does not have yet (creditCardMetadata.billId with
-- no bill_id). When a merge creates bills it links these to them; without this index it read every
-- stored transaction to find the few, once per merge that created a bill. Only unlinked rows are
-- in it, so it stays small and the planner takes it even before the table has statistics.
create index transactions_unlinked_bill on transactions (account_id, (credit_card_metadata->>'billId'))
  where bill_id is null and credit_card_metadata->>'billId' is not null;
