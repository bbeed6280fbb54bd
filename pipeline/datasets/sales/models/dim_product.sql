-- One row per product code; its line and list price come from its latest order line.
with latest as (
    select
        product_code, product_line, msrp,
        row_number() over (partition by product_code order by order_date desc, order_number desc, order_line_number desc) as recency
    from stg_sales
)
select
    row_number() over (order by product_line, product_code) as product_key,
    product_code, product_line, msrp
from latest
where recency = 1
order by product_key
