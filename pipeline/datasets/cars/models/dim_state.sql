-- One row per state or province code seen in the sales, upper-cased ('ca' is CA), named from ref_state.
-- A code that ref_state does not know keeps its code as its name, in region 'Other'.
with codes as (
    select distinct upper(state) as state_code from stg_cars
)
select
    c.state_code,
    coalesce(r.state_name, c.state_code) as state_name,
    coalesce(r.region, 'Other') as region,
    coalesce(r.country, 'Unknown') as country
from codes c
left join ref_state r using (state_code)
order by c.state_code
