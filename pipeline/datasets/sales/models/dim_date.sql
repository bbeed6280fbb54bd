-- One row per calendar day from the first to the last order date, so months without orders still exist.
with bounds as (
    select min(order_date) as first_day, max(order_date) as last_day from stg_sales
),
days as (
    select unnest(generate_series(first_day, last_day, interval 1 day))::DATE as date from bounds
)
select
    cast(strftime(date, '%Y%m%d') as INTEGER) as date_key,
    date,
    year(date) as year,
    quarter(date) as quarter_of_year,
    year(date) || '-Q' || quarter(date) as quarter,
    month(date) as month_of_year,
    strftime(date, '%Y-%m') as month,
    strftime(date, '%B') as month_name,
    isodow(date) as day_of_week
from days
order by date
