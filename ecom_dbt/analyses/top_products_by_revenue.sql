-- Top 10 products by revenue. Each line points at the product version valid when it was
-- sold; revenue is summed per product over all its versions and labelled with the current
-- row, so a renamed or re-priced product is not split or dropped.
select
    current_version.product_id,
    current_version.product_name,
    current_version.category,
    sum(order_items.quantity) as units,
    sum(order_items.total_amount) as revenue
from fact_order_items as order_items
inner join dim_products as sold_version
    on sold_version.product_key = order_items.product_key
inner join dim_products as current_version
    on current_version.product_id = sold_version.product_id
    and current_version.is_current
where order_items.product_key <> -1
group by current_version.product_id, current_version.product_name, current_version.category
order by revenue desc, current_version.product_id
limit 10
