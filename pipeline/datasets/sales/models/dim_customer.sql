-- One row per customer. A customer's contact and address are taken from its latest order line,
-- so a customer who moved is shown where they are now.
with latest as (
    select
        customer_name, contact_first_name, contact_last_name, phone,
        address_line1, address_line2, city, state, postal_code, country, territory,
        row_number() over (partition by customer_name order by order_date desc, order_number desc, order_line_number desc) as recency
    from stg_sales
)
select
    row_number() over (order by customer_name) as customer_key,
    customer_name, contact_first_name, contact_last_name, phone,
    address_line1, address_line2, city, state, postal_code, country, territory
from latest
where recency = 1
order by customer_key
