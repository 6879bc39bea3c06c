with order_items as (

    select * from {{ ref('fact_order_items') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

final as (

    -- The category of the product version sold (valid at order time).
    select
        dates.year_month,
        products.category,
        count(distinct order_items.order_id) as orders,
        count(*) as order_lines,
        sum(order_items.quantity) as units,
        cast(sum(order_items.gross_amount) as decimal(18, 2)) as gross_amount,
        cast(sum(order_items.discount_amount) as decimal(18, 2)) as discount_amount,
        cast(sum(order_items.total_amount) as decimal(18, 2)) as revenue
    from order_items
    inner join products
        on products.product_key = order_items.product_key
    inner join dates
        on dates.date_key = order_items.order_date_key
    group by dates.year_month, products.category

)

select * from final
