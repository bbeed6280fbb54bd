-- One row per seller. The source pads some names with doubled spaces ('kia motors america  inc'): runs of
-- whitespace are collapsed to one space, so both spellings are one seller.
select
    row_number() over (order by seller) as seller_key,
    seller
from (select distinct regexp_replace(seller, '\s+', ' ', 'g') as seller from stg_cars)
order by seller_key
