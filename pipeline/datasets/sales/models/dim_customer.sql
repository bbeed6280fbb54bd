-- One row per customer. A customer's contact and address are taken from its latest order line,
-- so a customer who moved is shown where they are now.
with latest as (
    select
        customer_name,
        arg_max(
            {'contact_first_name': contact_first_name, 'contact_last_name': contact_last_name, 'phone': phone,
             'address_line1': address_line1, 'address_line2': address_line2, 'city': city, 'state': state,
             'postal_code': postal_code, 'country': country, 'territory': territory},
            (order_date, order_number, order_line_number)
        ) as c
    from stg_sales
    group by customer_name
)
select
    row_number() over (order by customer_name) as customer_key,
    customer_name, c.contact_first_name, c.contact_last_name, c.phone,
    c.address_line1, c.address_line2, c.city, c.state, c.postal_code, c.country, c.territory
from latest
order by customer_key
