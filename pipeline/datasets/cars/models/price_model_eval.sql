-- How good the price check is, on the held-out fifth of price_sample that the model never saw: the median absolute
-- error as a share of the price, for the model and, on the very same rows, for MMR (Manheim's own estimate, which
-- knows far more about each car), and how often the stated range held the price. One row per segment level the
-- estimates came from, and a 'total' row over all of them.
-- Each row is estimated as the browser does it (src/lib/price-model.ts): the most specific segment of its trim,
-- model, make, body and all cars, and the range from that segment's residual percentiles.
with held_out as (
    select * from price_sample where held_out
),
estimated as (
    select h.selling_price, h.mmr,
        coalesce(t.level, m.level, k.level, b.level, a.level) as level,
        coalesce(
            t.intercept + t.b_age * h.x_age + t.b_odometer * h.x_odometer + t.b_condition * h.x_condition,
            m.intercept + m.b_age * h.x_age + m.b_odometer * h.x_odometer + m.b_condition * h.x_condition,
            k.intercept + k.b_age * h.x_age + k.b_odometer * h.x_odometer + k.b_condition * h.x_condition,
            b.intercept + b.b_age * h.x_age + b.b_odometer * h.x_odometer + b.b_condition * h.x_condition,
            a.intercept + a.b_age * h.x_age + a.b_odometer * h.x_odometer + a.b_condition * h.x_condition
        ) as log_estimate,
        coalesce(t.range_low, m.range_low, k.range_low, b.range_low, a.range_low) as range_low,
        coalesce(t.range_high, m.range_high, k.range_high, b.range_high, a.range_high) as range_high
    from held_out h
    left join price_model t on t.level = 'trim' and t.make = h.make and t.model = h.model and t.trim = h.trim
    left join price_model m on m.level = 'model' and m.make = h.make and m.model = h.model
    left join price_model k on k.level = 'make' and k.make = h.make
    left join price_model b on b.level = 'body' and b.body = h.body
    left join price_model a on a.level = 'all'
),
scored as (
    select level, exp(log_estimate) as estimate, selling_price, mmr,
        exp(log_estimate + range_low) <= selling_price and selling_price <= exp(log_estimate + range_high) as in_range
    from estimated
)
select
    coalesce(level, 'total') as level,
    count(*) as held_out_rows,
    median(abs(estimate - selling_price) / selling_price) as model_median_ape,
    median(abs(mmr - selling_price) / selling_price) as mmr_median_ape,
    avg(cast(in_range as DOUBLE)) as range_coverage
from scored
group by rollup (level)
order by grouping(level) desc, count(*) desc, level
