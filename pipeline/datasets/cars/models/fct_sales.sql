-- The sale fact: one row per (VIN, sale date) — a car sold again on another day is another sale.
-- condition_grade: the source grades condition on two scales, 1–5 and 10–50 (ten times finer); values of 10 and
-- over are divided by 10, so everything is on the 1–5 scale (35 → 3.5). age_years = sale year − model year.
-- Bands, for grouping: condition_band by whole grade on the 1–5 scale (1–1.9 … 4–4.9, and 5), odometer_band by miles
-- (0–25k, 25–50k, 50–100k, 100–150k, 150k+), 'Unknown' where the value is missing; the labels start with their lower
-- bound so they sort in band order by number. above_mmr is 1 when the car sold for more than its MMR, else 0.
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
    case
        when condition_grade is null then 'Unknown'
        when condition_grade >= 5 then '5'
        else floor(condition_grade)::INTEGER || '–' || floor(condition_grade)::INTEGER || '.9'
    end as condition_band,
    case
        when s.odometer is null then 'Unknown'
        when s.odometer < 25000 then '0–25k'
        when s.odometer < 50000 then '25–50k'
        when s.odometer < 100000 then '50–100k'
        when s.odometer < 150000 then '100–150k'
        else '150k+'
    end as odometer_band,
    s.sellingprice as selling_price,
    s.mmr,
    s.sellingprice - s.mmr as spread,
    (s.sellingprice > s.mmr)::INTEGER as above_mmr
from stg_cars s
join dim_vehicle v
    on v.make_match is not distinct from lower(s.make)
    and v.model_match is not distinct from lower(s.model)
    and v.trim_match is not distinct from lower(s.trim)
    and v.body_match is not distinct from lower(s.body)
join dim_seller sl on sl.seller = regexp_replace(s.seller, '\s+', ' ', 'g')
order by s.saledate, s.vin
