-- The fact joined with its dimensions: the one wide table that KPIs, cube slices and the browser read.
-- Hierarchy members are spelled so they sort and stay unique across parents (2014-Q4, 2014-12). A missing transmission
-- reads 'unknown' (in the lower case of the others), so it is a member of its own in charts and filters.
select
    f.vin,
    d.date as sale_date,
    d.year,
    d.quarter,
    d.month,
    d.week,
    v.make,
    v.model,
    v.trim,
    v.body,
    coalesce(f.transmission, 'unknown') as transmission,
    st.region,
    st.state_name,
    f.state_code,
    sl.seller,
    f.color,
    f.interior,
    f.model_year,
    f.age_years,
    f.condition_grade,
    f.condition_band,
    f.odometer,
    f.odometer_band,
    f.selling_price,
    f.mmr,
    f.spread,
    f.above_mmr
from fct_sales f
join dim_date d using (date_key)
join dim_vehicle v using (vehicle_key)
join dim_state st using (state_code)
join dim_seller sl using (seller_key)
order by d.date, f.vin
