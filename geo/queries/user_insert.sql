INSERT INTO users ({columns}) VALUES ({values})
