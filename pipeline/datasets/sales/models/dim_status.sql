-- Order statuses in workflow order; Cancelled orders are kept in the fact but left out of revenue by default.
select * from (
    values
        (1, 'In Process', false),
        (2, 'On Hold', false),
        (3, 'Disputed', false),
        (4, 'Resolved', false),
        (5, 'Shipped', false),
        (6, 'Cancelled', true)
) as statuses(status_key, status, is_cancelled)
order by status_key
