-- The sale fact: one row per (VIN, sale date) — a car sold again on another day is another sale.
-- condition_grade: the source grades condition on two scales, 1–5 and 10–50 (ten times finer); values of 10 and
-- over are divided by 10, so everything is on the 1–5 scale (35 → 3.5). age_years = sale year − model year.
select
    s.vin,
    s.saledate as sale_date,
    cast(strftime(s.saledate, '%Y%m%d') as INTEGER) as date_key,
    v.vehicle_key,
    upper(s.state) as state_code,
    sl.seller_key,
    s.year as model_year,
    year(s.saledate) - s.year as age_years,
    lower(s.transmission) as transmission,
    s.color,
    s.interior,
    s.odometer,
    cast(case when s.condition >= 10 then s.condition / 10 else s.condition end as DECIMAL(3, 1)) as condition_grade,
    s.sellingprice as selling_price,
    s.mmr,
    s.sellingprice - s.mmr as spread
from stg_cars s
join dim_vehicle v
    on v.make_match is not distinct from lower(s.make)
    and v.model_match is not distinct from lower(s.model)
    and v.trim_match is not distinct from lower(s.trim)
    and v.body_match is not distinct from lower(s.body)
join dim_seller sl on sl.seller = regexp_replace(s.seller, '\s+', ' ', 'g')
order by s.saledate, s.vin
