-- Deal-size bands, smallest first, so charts sort them by size rather than alphabetically.
select * from (
    values (1, 'Small'), (2, 'Medium'), (3, 'Large')
) as sizes(deal_size_key, deal_size)
order by deal_size_key
