-- The fact joined with its dimensions: the one wide table that KPIs, cube slices and the browser read.
-- Hierarchy members are spelled so they sort and stay unique across parents (2003-Q1, 2003-01).

-- Each dimension row is looked up by its key in a list (customer, product, status and deal size keys number their
-- rows from 1, the calendar has every day) rather than joined: the rows stay in the fact's order (order, line),
-- where a join would lose it and every row would be sorted again.
with lookups as materialized (
    select
        (select min(date) from dim_date) as first_day,
        (select list(d order by d.date) from dim_date d) as days,
        (select list(c order by c.customer_key) from dim_customer c) as customers,
        (select list(p order by p.product_key) from dim_product p) as products,
        (select list(st.status order by st.status_key) from dim_status st) as statuses,
        (select list(ds.deal_size order by ds.deal_size_key) from dim_deal_size ds) as deal_sizes
),
rows as (
    select
        f.*,
        -- date_key is the day as yyyymmdd
        l.days[make_date(f.date_key // 10000, f.date_key // 100 % 100, f.date_key % 100) - l.first_day + 1] as d,
        l.customers[f.customer_key] as c,
        l.products[f.product_key] as p,
        l.statuses[f.status_key] as status,
        l.deal_sizes[f.deal_size_key] as deal_size
    from fct_order_lines f, lookups l
)
select
    order_number,
    order_line_number,
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
    status,
    deal_size,
    quantity,
    price_each,
    sales,
    msrp
from rows
