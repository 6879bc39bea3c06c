with order_items as (

    select * from {{ ref('fact_order_items') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

daily as (

    -- Every valid order line counts, whatever its order's status; lines whose order has not
    -- arrived yet sit on the unknown date (-1).
    select
        order_date_key,
        count(distinct order_id) as orders,
        count(*) as order_lines,
        sum(quantity) as units,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(total_amount) as revenue
    from order_items
    group by order_date_key

),

final as (

    select
        daily.order_date_key as date_key,
        dates.date,
        dates.year_month,
        daily.orders,
        daily.order_lines,
        daily.units,
        cast(daily.gross_amount as decimal(18, 2)) as gross_amount,
        cast(daily.discount_amount as decimal(18, 2)) as discount_amount,
        cast(daily.revenue as decimal(18, 2)) as revenue
    from daily
    inner join dates
        on dates.date_key = daily.order_date_key

)

select * from final
