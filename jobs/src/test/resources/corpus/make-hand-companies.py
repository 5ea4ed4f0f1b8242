#!/usr/bin/env python3
"""Writes the corpus's hand-made companies (german-erp-cp1252, one-time-buyers, cash-payments,
mariadb-b2b).

Run from this folder: python3 make-hand-companies.py. Deterministic (fixed seeds); the files are
committed, this script only documents how they were made and remakes them. The generated
companies (small-b2b, tiny-one-year, shop-no-invoices) come from `crm-analytics generate`, see
README.md.
"""
import datetime as dt
import os
import random

AS_OF = dt.date(2025, 12, 31)
FIRMS = ["Müller Maschinenbau GmbH", "Bäckerei Weiß e.K.", "Schmidt & Söhne KG", "Öztürk Logistik GmbH",
         "Groß; Klein OHG", "Jäger Elektro GmbH", "Förster Holzbau", "Weber Sanitär GmbH", "Krüger Metall AG"]
BRANCHEN = ["Maschinenbau", "Handel", "Bau", "Elektrotechnik", "Lebensmittel"]
LAENDER = ["Bayern", "Nordrhein-Westfalen", "Sachsen", "Baden-Württemberg", "Hessen"]


def day(r, start, end):
    return start + dt.timedelta(days=r.randrange((end - start).days + 1))


def de_num(x):
    """1234.5 -> '1.234,50' (German grouping and decimal comma)."""
    s = f"{abs(x):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return s


def write(path, lines, encoding):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write("".join(line + "\r\n" for line in lines))


def german_erp():
    """90 customers, 18 months, a cp1252 ';' export with German numbers, dates and names."""
    r = random.Random(17)
    start = dt.date(2024, 7, 1)
    kunden = ["Kundennr.;Firma;Branche;Bundesland;PLZ;Mitarbeiter;Angelegt am;Kreditlimit"]
    for k in range(1, 91):
        firma = FIRMS[k % len(FIRMS)] + f" {k}"
        if ";" in firma:
            firma = '"' + firma + '"'
        branche = "NULL" if k % 11 == 0 else r.choice(BRANCHEN)
        plz = "NULL" if k % 13 == 0 else f"{r.randrange(1000, 99999):05d}"
        # customers 89 and 90 have no orders; their employee count is the literal NULL (a type error today)
        mitarbeiter = "NULL" if k >= 89 else str(r.randrange(3, 400))
        angelegt = day(r, dt.date(2015, 1, 1), start).strftime("%d.%m.%Y")
        limit = de_num(r.choice([5000, 10000, 25000, 50000, 100000]))
        kunden.append(f"{10000 + k};{firma};{branche};{r.choice(LAENDER)};{plz};{mitarbeiter};{angelegt};{limit}")
    artikel = ["Artikelnr;Bezeichnung;Warengruppe;Listenpreis"]
    for a in range(1, 41):
        artikel.append(f"{4700 + a};Artikel {a} – „Qualität“;WG {1 + a % 6};{de_num(r.uniform(5, 900))}")
    umsatz = ["Belegnr;Pos;Kundennr.;Belegdatum;Artikelnr;Menge;Umsatz netto;Belegart;Bezugsbeleg"]
    beleg = 0
    orders = []
    for k in range(1, 89):
        # most customers buy once or twice, some regularly
        n = r.choice([1, 1, 1, 2, 2, 3, 5, 8])
        for _ in range(n):
            beleg += 1
            d = day(r, start, AS_OF)
            bn = f"A-{d.year}-{beleg:04d}"
            orders.append((bn, k, d))
            for pos in range(1, 1 + r.choice([1, 1, 2, 3])):
                menge = r.randrange(1, 30)
                betrag = menge * r.uniform(5, 300)
                umsatz.append(f"{bn};{pos};{10000 + k};{d.strftime('%d.%m.%Y')};{4700 + r.randrange(1, 41)};"
                              f"{menge};{de_num(betrag)};Rechnung;")
    for i, (bn, k, d) in enumerate(orders[5::40]):
        # credit notes: SAP style trailing minus
        g = d + dt.timedelta(days=10)
        if g > AS_OF:
            continue
        umsatz.append(f"G-{g.year}-{i + 1:04d};1;{10000 + k};{g.strftime('%d.%m.%Y')};4701;-1;"
                      f"{de_num(r.uniform(10, 200))}-;Gutschrift;{bn}")
    # broken rows, one of each kind: too many fields, an impossible date, a broken number, no customer
    umsatz.append("A-2025-9001;1;10001;03.03.2025;4702;2;50,00;Rechnung;;Zusatzfeld;noch eins")
    umsatz.append("A-2025-9002;1;10002;31.02.2025;4702;2;50,00;Rechnung;")
    umsatz.append("A-2025-9003;1;10003;04.03.2025;4702;2;5O,00;Rechnung;")
    umsatz.append("A-2025-9004;1;NULL;05.03.2025;4702;2;50,00;Rechnung;")
    d = "german-erp-cp1252/export"
    write(f"{d}/KUNDEN.CSV", kunden, "cp1252")
    write(f"{d}/ARTIKEL.CSV", artikel, "cp1252")
    write(f"{d}/UMSATZ.CSV", umsatz, "cp1252")


def one_time_buyers():
    """120 customers over 18 months: 25 never ordered, 80 ordered once, 15 two to four times."""
    r = random.Random(23)
    start = dt.date(2024, 7, 1)
    customers = ["customer_id,name,industry,region,created_at"]
    sales = ["order_id,customer_id,order_date,net_amount"]
    o = 0
    for c in range(1, 121):
        created = day(r, dt.date(2024, 1, 1), AS_OF - dt.timedelta(days=30))
        customers.append(f"C{c:04d},Kunde {c},{r.choice(BRANCHEN)},{r.choice(LAENDER)},{created}")
        n = 0 if c <= 25 else 1 if c <= 105 else r.randrange(2, 5)
        for _ in range(n):
            o += 1
            d = day(r, max(start, created), AS_OF)
            sales.append(f"O{o:05d},C{c:04d},{d},{r.uniform(20, 2500):.2f}")
    write("one-time-buyers/customers.csv", customers, "utf-8")
    write("one-time-buyers/sales.csv", sales, "utf-8")


def cash_payments():
    """100 customers, 2 years, paying cash or by bank transfer: payments name the customer, not an invoice."""
    r = random.Random(29)
    start = dt.date(2024, 1, 1)
    customers = ["customer_id,name,region,created_at,credit_limit"]
    sales = ["order_id,line_no,customer_id,order_date,quantity,net_amount"]
    payments = ["payment_id,invoice_id,customer_id,paid_at,amount"]
    o = p = 0
    for c in range(1, 101):
        customers.append(f"B{c:03d},Betrieb {c},{r.choice(LAENDER)},{day(r, dt.date(2018, 1, 1), start)},"
                         + ("-" if c % 9 == 0 else f"{r.choice([2000, 5000, 10000])}.00"))
        n = 0 if c % 10 == 0 else r.choice([1, 1, 2, 3, 4, 6, 9])
        for _ in range(n):
            o += 1
            d = day(r, start, AS_OF)
            total = 0.0
            for line in range(1, 1 + r.choice([1, 2])):
                amount = r.uniform(15, 900)
                total += amount
                sales.append(f"V{o:05d},{line},B{c:03d},{d},{r.randrange(1, 12)},{amount:.2f}")
            paid = d + dt.timedelta(days=r.choice([0, 0, 3, 14, 30]))
            if paid <= AS_OF:
                p += 1
                payments.append(f"Z{p:05d},NULL,B{c:03d},{paid},{total:.2f}")
    write("cash-payments/customers.csv", customers, "utf-8")
    write("cash-payments/sales.csv", sales, "utf-8")
    write("cash-payments/payments.csv", payments, "utf-8")


def mariadb_b2b():
    """A small B2B ERP in MariaDB (classicmodels-like): integer customer numbers, order headers and
    lines in two tables, payments by cheque that name the customer, not an invoice."""
    r = random.Random(31)
    start = dt.date(2024, 1, 1)
    sql = ["DROP TABLE IF EXISTS corpus_mdb_orderdetails", "DROP TABLE IF EXISTS corpus_mdb_orders",
           "DROP TABLE IF EXISTS corpus_mdb_payments", "DROP TABLE IF EXISTS corpus_mdb_customers",
           "CREATE TABLE corpus_mdb_customers (customerNumber INT PRIMARY KEY, customerName VARCHAR(50) NOT NULL,"
           " city VARCHAR(50), country VARCHAR(50), salesRepEmployeeNumber INT NULL, creditLimit DECIMAL(10,2))",
           "CREATE TABLE corpus_mdb_orders (orderNumber INT PRIMARY KEY, orderDate DATE NOT NULL,"
           " status VARCHAR(15) NOT NULL, customerNumber INT NOT NULL)",
           "CREATE TABLE corpus_mdb_orderdetails (orderNumber INT NOT NULL, productCode VARCHAR(15) NOT NULL,"
           " quantityOrdered INT NOT NULL, priceEach DECIMAL(10,2) NOT NULL, orderLineNumber SMALLINT NOT NULL,"
           " PRIMARY KEY (orderNumber, productCode))",
           "CREATE TABLE corpus_mdb_payments (customerNumber INT NOT NULL, checkNumber VARCHAR(50) NOT NULL,"
           " paymentDate DATE NOT NULL, amount DECIMAL(10,2) NOT NULL, PRIMARY KEY (customerNumber, checkNumber))"]
    cities = [("München", "Germany"), ("Lyon", "France"), ("Wien", "Austria"), ("Madrid", "Spain"), ("Oslo", "Norway")]
    order = 10100
    for c in range(103, 103 + 120):
        city, country = r.choice(cities)
        rep = "NULL" if c % 8 == 0 else str(1165 + r.randrange(6))
        limit = "0.00" if c % 12 == 0 else f"{r.randrange(20, 150) * 1000}.00"
        name = f"Firma {c} " + r.choice(["GmbH", "S.A.", "AG", "Ltd.", "O'Brien & Co."]).replace("'", "''")
        sql.append(f"INSERT INTO corpus_mdb_customers VALUES ({c}, '{name}', '{city}', '{country}', {rep}, {limit})")
        n = 0 if c % 6 == 0 else r.choice([1, 1, 2, 2, 3, 4, 6])
        paid = 0.0
        for _ in range(n):
            order += 1
            d = day(r, start, AS_OF)
            status = "Cancelled" if r.random() < 0.04 else "Shipped"
            sql.append(f"INSERT INTO corpus_mdb_orders VALUES ({order}, '{d}', '{status}', {c})")
            codes = r.sample(range(1, 60), r.randrange(1, 5))
            for line, code in enumerate(codes, 1):
                q, price = r.randrange(20, 60), r.uniform(20, 200)
                paid += q * round(price, 2)
                sql.append(f"INSERT INTO corpus_mdb_orderdetails VALUES ({order}, 'S{code:03d}', {q}, {price:.2f}, {line})")
        if paid > 0:
            sql.append(f"INSERT INTO corpus_mdb_payments VALUES ({c}, 'CHK{c}{r.randrange(1000, 9999)}', "
                       f"'{day(r, start, AS_OF)}', {paid:.2f})")
    write("mariadb-b2b/tables.sql", [s + ";" for s in sql], "utf-8")


if __name__ == "__main__":
    mariadb_b2b()
    german_erp()
    one_time_buyers()
    cash_payments()
