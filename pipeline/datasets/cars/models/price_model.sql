-- The price check's model, fitted on the training rows of price_sample (never the held-out ones).
-- A segment is a trim (make › model › trim), a model, a make, a body type, or all cars, with at least 3 training
-- sales. Its line is log(price) = intercept + b_age·age + b_odometer·ln(1 + miles/1000) + b_condition·grade, where
--   * the slopes are the least-squares ones of the most specific segment, among itself and its parents
--     (trim › model › make › all cars; body › all cars), with at least 30 sales whose inputs are not collinear:
--     depreciation differs by model, and on a validation fold of the training rows 30 sales beat 50, 100 and 200.
--   * the intercept puts the line through the median of the segment's own sales under those slopes: the median, so
--     that a few wrecks or mispriced sales do not move it, and the segment's own, so that a trim with a handful of
--     sales still gets its own price level (on the same fold, 3 sales beat 5 and 10).
--   * the range is the 10th–90th percentile of the residuals of the segment that gave the slopes (at least 30
--     sales, so the percentiles mean something); its coverage of held-out prices is measured in price_model_eval.
--   * the median and the percentiles are taken over a segment's sales up to 5,000, and over a sample of about 5,000 of
--     a larger one's: each sale is in it with probability 5,000 / the segment's sales, drawn from the next 32 bits of
--     the MD5 that holds sales out (deterministic, independent of row order and of the held-out draw). The part of
--     the fit that holds values then stops growing with the rows; at 5M generated sales the held-out error stayed
--     9.51% and the range's coverage 80.5%, as with every sale, and the fit took 3.5 s instead of 15–20 s. The
--     slopes and the segments' sizes are computed over every training sale.
-- The estimate uses the most specific segment the car is in (see src/lib/price-model.ts). Coefficients are rounded
-- to 6 decimals here, so the browser, which reads this table, computes exactly what the evaluation computed.
with train as (
    select *, cast(('0x' || substr(md5(vin || '|' || cast(sale_date as VARCHAR)), 9, 8)) as UBIGINT) / 4294967296 as draw
    from price_sample where not held_out
),
specificity as (
    select * from (values ('trim', 4), ('model', 3), ('make', 2), ('body', 1), ('all', 0)) t(level, rank)
),
-- Per segment, in one pass: its sales and the centred sums of squares and cross-products (the normal equations of the
-- three slopes). 'Unknown' is a missing make, model, trim or body: not a segment anyone can choose.
moments as (
    select * from (
        select case grouping(make, model, trim, body) when 1 then 'trim' when 3 then 'model' when 7 then 'make' when 14 then 'body' else 'all' end as level,
            make, model, trim, body, count(*) as n,
            avg(x_age) as m_age, avg(x_odometer) as m_odometer, avg(x_condition) as m_condition, avg(log_price) as m_price,
            regr_sxx(x_age, x_age) as s11, covar_pop(x_age, x_odometer) * count(*) as s12, covar_pop(x_age, x_condition) * count(*) as s13,
            regr_sxx(x_odometer, x_odometer) as s22, covar_pop(x_odometer, x_condition) * count(*) as s23, regr_sxx(x_condition, x_condition) as s33,
            covar_pop(x_age, log_price) * count(*) as t1, covar_pop(x_odometer, log_price) * count(*) as t2, covar_pop(x_condition, log_price) * count(*) as t3
        from train
        group by grouping sets ((make, model, trim), (make, model), (make), (body), ())
    )
    where case level
        when 'trim' then make <> 'Unknown' and model <> 'Unknown' and trim <> 'Unknown'
        when 'model' then make <> 'Unknown' and model <> 'Unknown'
        when 'make' then make <> 'Unknown'
        when 'body' then body <> 'Unknown'
        else true end
),
determinants as (
    select *, s11 * (s22 * s33 - s23 * s23) - s12 * (s12 * s33 - s23 * s13) + s13 * (s12 * s23 - s22 * s13) as det
    from moments
    where n >= 30 and s11 > 0 and s22 > 0 and s33 > 0
),
-- Cramer's rule. det / (s11·s22·s33) is the determinant of the inputs' correlation matrix: near 0, two inputs move
-- together (e.g. every car of a trim the same age) and the slopes would be noise.
least_squares as (
    select level, make, model, trim, body, n,
        (t1 * (s22 * s33 - s23 * s23) - s12 * (t2 * s33 - s23 * t3) + s13 * (t2 * s23 - s22 * t3)) / det as b_age,
        (s11 * (t2 * s33 - t3 * s23) - t1 * (s12 * s33 - s23 * s13) + s13 * (s12 * t3 - t2 * s13)) / det as b_odometer,
        (s11 * (s22 * t3 - s23 * t2) - s12 * (s12 * t3 - t2 * s13) + t1 * (s12 * s23 - s22 * s13)) / det as b_condition
    from determinants
    where det / (s11 * s22 * s33) >= 0.01
),
segments as (
    select level, make, model, trim, body, n from moments where n >= 3
),
-- Each segment takes the slopes of the most specific of itself and its parents that has them. `+ 0` turns −0 into 0: a
-- slope of 0 in exact arithmetic (every price of a segment alike) comes out a hair off it, on the side the threads'
-- order of adding up the sums decides, and rounded it read −0 in one build and 0 in the next.
sloped as (
    select s.*, l.level as slope_level, l.make as slope_make, l.model as slope_model, l.trim as slope_trim, l.body as slope_body,
        l.n as slope_rows, round(l.b_age, 6) + 0 as b_age, round(l.b_odometer, 6) + 0 as b_odometer, round(l.b_condition, 6) + 0 as b_condition
    from segments s
    join least_squares l on l.level = 'all'
        or (l.level = 'body' and s.level = 'body' and l.body = s.body)
        or (l.level = 'make' and s.level in ('make', 'model', 'trim') and l.make = s.make)
        or (l.level = 'model' and s.level in ('model', 'trim') and l.make = s.make and l.model = s.model)
        or (l.level = 'trim' and s.level = 'trim' and l.make = s.make and l.model = s.model and l.trim = s.trim)
    join specificity r on r.level = l.level
    qualify row_number() over (partition by s.level, s.make, s.model, s.trim, s.body order by r.rank desc) = 1
),
-- Each training sale in each of its segments.
members as (
    select 'trim' as level, make, model, trim, null as body, x_age, x_odometer, x_condition, log_price, draw from train
    union all select 'model', make, model, null, null, x_age, x_odometer, x_condition, log_price, draw from train
    union all select 'make', make, null, null, null, x_age, x_odometer, x_condition, log_price, draw from train
    union all select 'body', null, null, null, body, x_age, x_odometer, x_condition, log_price, draw from train
    union all select 'all', null, null, null, null, x_age, x_odometer, x_condition, log_price, draw from train
),
-- What is left of each sale's log price once the slopes have taken age, miles and condition out, for each segment's
-- sample (see the top).
adjusted as (
    select s.*, g.log_price - (s.b_age * g.x_age + s.b_odometer * g.x_odometer + s.b_condition * g.x_condition) as level_price
    from sloped s
    join members g on g.level = s.level and g.make is not distinct from s.make and g.model is not distinct from s.model
        and g.trim is not distinct from s.trim and g.body is not distinct from s.body
    where g.draw * s.n < 5000
),
-- Each segment's median level, then each sale's residual from it: two grouped passes (a windowed median cost more).
medians as (
    select level, make, model, trim, body, median(level_price) as median_level from adjusted group by all
),
residuals as (
    select a.*, m.median_level, a.level_price - m.median_level as residual
    from adjusted a
    join medians m on m.level = a.level and m.make is not distinct from a.make and m.model is not distinct from a.model
        and m.trim is not distinct from a.trim and m.body is not distinct from a.body
),
fitted as (
    select level, make, model, trim, body, any_value(n) as training_rows,
        any_value(slope_level) as slope_level, any_value(slope_make) as slope_make, any_value(slope_model) as slope_model,
        any_value(slope_trim) as slope_trim, any_value(slope_body) as slope_body, any_value(slope_rows) as slope_rows,
        round(any_value(median_level), 6) as intercept, any_value(b_age) as b_age, any_value(b_odometer) as b_odometer, any_value(b_condition) as b_condition,
        quantile_cont(residual, 0.1) as own_low, quantile_cont(residual, 0.9) as own_high
    from residuals
    group by level, make, model, trim, body
)
select f.level, f.make, f.model, f.trim, f.body, f.training_rows, f.slope_level, f.slope_rows,
    f.intercept, f.b_age, f.b_odometer, f.b_condition,
    round(s.own_low, 6) as range_low, round(s.own_high, 6) as range_high
from fitted f
join fitted s on s.level = f.slope_level and s.make is not distinct from f.slope_make and s.model is not distinct from f.slope_model
    and s.trim is not distinct from f.slope_trim and s.body is not distinct from f.slope_body
join specificity r on r.level = f.level
order by r.rank desc, f.make, f.model, f.trim, f.body
