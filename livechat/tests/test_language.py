"""The language test set: the chat must let English through and stop clear non-English."""

from livechat.language import foreign_language

ENGLISH = [
    "hi",
    "ok",
    "hello?",
    "login broken",
    "help please",
    "password reset not working",
    "I cannot log in",
    "my order is stuck",
    "Hi, I can't sign in to my account since yesterday.",
    "The page shows error 500 when I open my orders.",
    "I forgot my password and the reset e-mail never arrives.",
    "How do I change the e-mail address on my profile?",
    "My payment went through but the order still says pending.",
    "The website is very slow today, is something down?",
    "I get a blank white screen after clicking Submit.",
    "Can you help me update my shipping address before the order ships?",
    "My member ID is not recognised at checkout.",
    "The app crashes on my phone every time I open the catalogue.",
    "Why was my card declined? It works everywhere else.",
    "I was charged twice for the same order, please refund one.",
    "Where can I download my invoice for last month?",
    "The autoship date cannot be changed, the button is greyed out.",
    "Hello, I'm locked out after too many attempts. How long must I wait?",
    "The translation on the product page is wrong.",
    "Screenshots won't upload, it says the file is too large.",
    "Is there a problem with the Diamond rank bonus report?",
    "My downline report is empty although I have active members.",
    "Two factor code never comes by SMS.",
    "I keep getting logged out every few minutes.",
    "Cookies are enabled but the cart empties itself.",
    "Error: cannot process order. What should I do?",
    "thanks, that fixed it!",
    "Order 123456 shows delivered but I never received it.",
    "Please call me back, the chat is hard for me.",
    "The promo code SUMMER25 is rejected at checkout.",
    "Can't access back office, it says session expired.",
    "Website not loading on Safari, works in Chrome.",
    "My name is misspelled on my account, can you fix it?",
    "ok thanks bye",
    "Where do I find the tech issues form?",
]

FOREIGN = [
    ("Nie mogę się zalogować do portalu od wczoraj.", "pl"),
    ("Nie można przetworzyć zamówienia, proszę o pomoc.", "pl"),
    ("Dzień dobry, zapomniałem hasła i nie przychodzi e-mail.", "pl"),
    ("Moje zamówienie nadal ma status oczekujące, co robić?", "pl"),
    ("Strona ładuje się bardzo wolno i pokazuje błąd.", "pl"),
    ("Ich kann mich seit gestern nicht mehr anmelden.", "de"),
    ("Meine Bestellung wurde doppelt abgebucht, bitte helfen Sie mir.", "de"),
    ("Das Passwort zurücksetzen funktioniert nicht.", "de"),
    ("No puedo iniciar sesión en mi cuenta desde ayer.", "es"),
    ("Mi pedido no se puede procesar, ¿qué debo hacer?", "es"),
    ("Olvidé mi contraseña y no recibo el correo.", "es"),
    ("Je n'arrive pas à me connecter à mon compte.", "fr"),
    ("Ma commande est bloquée depuis trois jours.", "fr"),
    ("Le site affiche une erreur quand je paie.", "fr"),
    ("Non riesco ad accedere al mio account da ieri.", "it"),
    ("Il mio ordine non è stato ancora spedito.", "it"),
    ("Não consigo entrar na minha conta desde ontem.", "pt"),
    ("O meu pedido foi cobrado duas vezes, preciso de ajuda.", "pt"),
    ("Ik kan niet inloggen op mijn account sinds gisteren.", "nl"),
    ("Mijn bestelling is nog steeds niet verzonden.", "nl"),
    ("Я не можу увійти до свого облікового запису.", "uk"),
    ("Моє замовлення досі не відправлене, допоможіть будь ласка.", "uk"),
    ("Не могу войти в личный кабинет со вчерашнего дня.", "ru"),
    ("Nemohu se přihlásit ke svému účtu od včera.", "cs"),
    ("Nem tudok bejelentkezni a fiókomba tegnap óta.", "hu"),
    ("Nu mă pot conecta la contul meu de ieri.", "ro"),
]


def test_the_set_is_large_enough():
    assert len(ENGLISH) + len(FOREIGN) >= 60


def test_it_lets_english_through():
    stopped = [text for text in ENGLISH if foreign_language(text) is not None]
    assert stopped == []


def test_it_recognises_clear_non_english():
    right = sum(foreign_language(text) == code for text, code in FOREIGN)
    assert right / len(FOREIGN) >= 0.95
    assert all(foreign_language(text) is not None for text, _ in FOREIGN)


def test_it_lets_short_text_through_whatever_the_language():
    assert foreign_language("Dzień dobry") is None
    assert foreign_language("Hilfe bitte") is None
