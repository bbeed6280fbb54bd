-- The fact joined with its dimensions: the one wide table that KPIs, cube slices and the browser read.
-- Hierarchy members are spelled so they sort and stay unique across parents (2003-Q1, 2003-01).
select
    f.order_number,
    f.order_line_number,
    d.date as order_date,
    d.year,
    d.quarter,
    d.month,
    c.territory,
    c.country,
    c.city,
    c.customer_name,
    p.product_line,
    p.product_code,
    st.status,
    ds.deal_size,
    f.quantity,
    f.price_each,
    f.sales,
    f.msrp
from fct_order_lines f
join dim_date d using (date_key)
join dim_customer c using (customer_key)
join dim_product p using (product_key)
join dim_status st using (status_key)
join dim_deal_size ds using (deal_size_key)
order by f.order_number, f.order_line_number
