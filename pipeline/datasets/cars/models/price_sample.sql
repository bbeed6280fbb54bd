-- The sales the price check learns from and is judged on: every sale whose odometer and condition are known (the
-- form asks for both), with the model's inputs. A fifth of them is held out, chosen by the first 32 bits of the
-- MD5 of VIN|sale date: deterministic, independent of row order and of the data's size, and recomputable anywhere.
-- Held-out rows are never used to fit; MMR is kept only to compare errors, never as an input (a user does not know it).
select
    vin,
    sale_date,
    make,
    model,
    trim,
    body,
    model_year,
    age_years,
    odometer,
    condition_grade,
    selling_price,
    mmr,
    cast(age_years as DOUBLE) as x_age,
    -- Miles matter less the more there are: 10,000 more miles on a nearly new car cost more than on a 150,000-mile one.
    ln(1 + odometer / 1000) as x_odometer,
    cast(condition_grade as DOUBLE) as x_condition,
    ln(selling_price) as log_price,
    cast(('0x' || left(md5(vin || '|' || cast(sale_date as VARCHAR)), 8)) as UBIGINT) % 5 = 0 as held_out
from mart_sales
where odometer is not null and condition_grade is not null
order by sale_date, vin
