// Finance's month summary: draws the spend charts from the page's JSON island (#spend-data), so the page needs no
// inline script. The same figures stand in the tables beside the charts, which is what screen readers and printouts get.
(function () {
    var island = document.getElementById('spend-data');
    if (!island || typeof Chart === 'undefined') {
        return;
    }
    var data = JSON.parse(island.textContent);
    var palette = ['#2d6cdf', '#1f8a70', '#d1495b', '#edae49', '#7b4fd6', '#00798c', '#8a5a00', '#5a6172'];
    var money = function (value) {
        return Number(value).toLocaleString(document.documentElement.lang || undefined,
            { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + (data.currency ? ' ' + data.currency : '');
    };
    var draw = function (canvasId, series, type) {
        var canvas = document.getElementById(canvasId);
        if (!canvas || !series || series.labels.length === 0) {
            return;
        }
        var values = series.amounts.map(Number);
        new Chart(canvas, {
            type: type,
            data: {
                labels: series.labels,
                datasets: [{
                    label: series.title,
                    data: values,
                    backgroundColor: series.labels.map(function (label, i) { return palette[i % palette.length]; })
                }]
            },
            options: {
                indexAxis: type === 'bar' ? 'y' : undefined,
                plugins: {
                    legend: { display: type !== 'bar' },
                    tooltip: { callbacks: { label: function (item) { return money(item.raw); } } }
                },
                scales: type === 'bar' ? { x: { ticks: { callback: function (value) { return money(value); } } } } : {}
            }
        });
    };
    draw('chart-by-tenant', data.byTenant, 'bar');
    draw('chart-by-offering', data.byOffering, 'doughnut');
})();
