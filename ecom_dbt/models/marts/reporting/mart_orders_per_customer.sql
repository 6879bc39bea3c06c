with orders as (

    select * from {{ ref('fact_orders') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

final as (

    select
        dates.year_month,
        count(*) as orders,
        count(distinct orders.customer_id) as active_customers,
        cast(
            cast(count(*) as decimal(18, 4)) / count(distinct orders.customer_id)
            as decimal(18, 4)
        ) as orders_per_customer
    from orders
    inner join dates
        on dates.date_key = orders.order_date_key
    where orders.customer_key <> -1
    group by dates.year_month

)

select * from final
