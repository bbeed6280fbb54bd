-- One row per product code; its line and list price come from its latest order line.
with latest as (
    select
        product_code,
        arg_max({'product_line': product_line, 'msrp': msrp}, (order_date, order_number, order_line_number)) as p
    from stg_sales
    group by product_code
)
select
    row_number() over (order by p.product_line, product_code) as product_key,
    product_code, p.product_line, p.msrp
from latest
order by product_key
