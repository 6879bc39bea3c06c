-- Top 10 products by revenue, labelled with their current product row. Revenue is summed
-- per product over every order line, whichever product version each line was sold under,
-- so a renamed or re-priced product is neither split nor dropped.
select
    current_products.product_id,
    current_products.product_name,
    current_products.category,
    sum(order_items.quantity) as units,
    sum(order_items.total_amount) as revenue
from fact_order_items as order_items
inner join dim_products as current_products
    on current_products.product_id = order_items.product_id
    and current_products.is_current
group by current_products.product_id, current_products.product_name, current_products.category
order by revenue desc, current_products.product_id asc
limit 10
