-- One row per calendar day from the first to the last sale, so periods without sales still exist.
-- Hierarchy: year › quarter › month › week (the ISO week a day falls in; a week can straddle two months).
with bounds as (
    select min(saledate) as first_day, max(saledate) as last_day from stg_cars
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
    isoyear(date) || '-W' || lpad(week(date)::VARCHAR, 2, '0') as week,
    date_trunc('week', date)::DATE as week_start,
    isodow(date) as day_of_week
from days
order by date
