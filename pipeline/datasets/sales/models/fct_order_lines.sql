-- The order-line fact: one row per (order, line), measures plus a key into each dimension.
select
    s.order_number,
    s.order_line_number,
    cast(strftime(s.order_date, '%Y%m%d') as INTEGER) as date_key,
    c.customer_key,
    p.product_key,
    st.status_key,
    ds.deal_size_key,
    s.quantity,
    s.price_each,
    s.sales,
    s.msrp
from stg_sales s
join dim_customer c using (customer_name)
join dim_product p using (product_code)
join dim_status st using (status)
join dim_deal_size ds using (deal_size)
order by s.order_number, s.order_line_number
