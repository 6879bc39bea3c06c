with orders as (

    select * from {{ ref('fact_orders') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

per_customer as (

    select
        customer_id,
        count(*) as orders,
        min(order_ts) as first_order_ts,
        max(order_ts) as last_order_ts,
        sum(items_amount) as lifetime_revenue,
        sum(order_amount) as lifetime_spend
    from orders
    where customer_key <> -1
    group by customer_id

),

final as (

    select
        per_customer.customer_id,
        customers.customer_key as current_customer_key,
        customers.email,
        customers.country_code,
        customers.loyalty_tier,
        per_customer.orders,
        cast(per_customer.first_order_ts as date) as first_order_date,
        cast(per_customer.last_order_ts as date) as last_order_date,
        cast(per_customer.lifetime_revenue as decimal(18, 2)) as lifetime_revenue,
        cast(per_customer.lifetime_spend as decimal(18, 2)) as lifetime_spend,
        cast(per_customer.lifetime_revenue / per_customer.orders as decimal(18, 2))
            as average_order_revenue
    from per_customer
    inner join customers
        on customers.customer_id = per_customer.customer_id
        and customers.is_current

)

select * from final
