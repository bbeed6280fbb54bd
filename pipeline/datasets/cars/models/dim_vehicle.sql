-- One row per vehicle as sold: make › model › trim, with its body type. The source spells the same value in
-- several cases ('Ford'/'ford', 'SUV'/'suv'): values are matched lower-cased and shown in their most frequent
-- spelling in the data (ties: the spelling that sorts first), so each make, model, trim and body appears once.
with spellings as (
    select 'make' as field, make as value from stg_cars where make is not null
    union all select 'model', model from stg_cars where model is not null
    union all select 'trim', trim from stg_cars where trim is not null
    union all select 'body', body from stg_cars where body is not null
),
canonical as (
    select field, lower(value) as match, value
    from (select field, value, count(*) as n from spellings group by field, value)
    qualify row_number() over (partition by field, lower(value) order by n desc, value) = 1
),
vehicles as (
    select distinct lower(make) as make_match, lower(model) as model_match, lower(trim) as trim_match, lower(body) as body_match
    from stg_cars
)
select
    row_number() over (order by mk.value nulls last, md.value nulls last, tr.value nulls last, bd.value nulls last) as vehicle_key,
    coalesce(mk.value, 'Unknown') as make,
    coalesce(md.value, 'Unknown') as model,
    coalesce(tr.value, 'Unknown') as trim,
    coalesce(bd.value, 'Unknown') as body,
    v.make_match, v.model_match, v.trim_match, v.body_match
from vehicles v
left join canonical mk on mk.field = 'make' and mk.match = v.make_match
left join canonical md on md.field = 'model' and md.match = v.model_match
left join canonical tr on tr.field = 'trim' and tr.match = v.trim_match
left join canonical bd on bd.field = 'body' and bd.match = v.body_match
order by vehicle_key
