-- Monthly revenue trend over the gold star schema (plain SQL: runs as-is on DuckDB and on
-- Redshift with the gold schema on the search path). Every valid order line counts, whatever
-- the order's status; lines whose order has not arrived yet show as '(unknown)', last.
select
    dates.year_month,
    count(distinct order_items.order_id) as orders,
    sum(order_items.quantity) as units,
    sum(order_items.total_amount) as revenue
from fact_order_items as order_items
inner join dim_date as dates
    on dates.date_key = order_items.order_date_key
group by dates.year_month
order by case when dates.year_month = '(unknown)' then 1 else 0 end, dates.year_month
